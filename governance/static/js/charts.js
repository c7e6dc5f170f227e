// Draws the Plotly figures the server built: [data-chart] holds the figure as JSON.
// Runs on page load and after every htmx swap (including out-of-band swaps).
(function () {
  "use strict";

  var config = { displayModeBar: false, responsive: true, scrollZoom: false };

  function draw(element) {
    if (!window.Plotly) return;
    var figure;
    try {
      figure = JSON.parse(element.getAttribute("data-chart"));
    } catch (error) {
      return;
    }
    window.Plotly.react(element, figure.data || [], figure.layout || {}, config).then(function () {
      element.setAttribute("data-drawn", "true");
      listenForClicks(element);
    });
  }

  // A click on a point (a heat map cell) loads the matching list with htmx. The names of
  // the query parameters are in data-click-params, their values in the point's customdata.
  function listenForClicks(element) {
    var url = element.getAttribute("data-click-url");
    if (!url || element.getAttribute("data-click-bound") || !window.htmx) return;
    element.setAttribute("data-click-bound", "true");
    var names = (element.getAttribute("data-click-params") || "").split(",");
    element.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (!point || !point.customdata) return;
      var query = names.map(function (name, index) {
        return encodeURIComponent(name) + "=" + encodeURIComponent(point.customdata[index]);
      }).join("&");
      var target = element.getAttribute("data-click-target");
      var address = url + (url.indexOf("?") >= 0 ? "&" : "?") + query;
      window.htmx.ajax("GET", address, { target: target, swap: "outerHTML" }).then(function () {
        window.history.pushState({}, "", address);
      });
    });
  }

  function drawAll(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("[data-chart]")) draw(root);
    root.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (window.htmx) {
    window.htmx.onLoad(drawAll);
  } else {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document.body); });
  }
})();
