// Styringsrommet: small behaviours on top of htmx. No inline scripts (strict CSP).
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("messages");
    if (!region) return;
    var alert = document.createElement("div");
    alert.className = "ds-alert";
    alert.setAttribute("data-color", "danger");
    alert.textContent = text;
    region.replaceChildren(alert);
  }

  function focusErrorSummary(root) {
    var scope = root || document;
    var summary = scope.matches && scope.matches("[data-error-summary]")
      ? scope : scope.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });

  function find(root, selector) {
    if (root.matches && root.matches(selector)) return root;
    return root.querySelector(selector);
  }

  // Tell screen readers what changed: the text of [data-announce] in the new content
  // goes to the page's one lasting live region.
  function announceChange(root) {
    var source = find(root, "[data-announce]");
    var region = document.getElementById("live-status");
    if (!source || !region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = source.textContent.trim(); }, 50);
  }

  // After a swap: errors get focus on their summary; otherwise, if the element that had
  // focus was swapped away, focus goes to [data-focus-after-swap] so the keyboard user
  // does not start over at the top of the page.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) return;
    var swapped = document.getElementById(target.id) || target;
    announceChange(swapped);
    if (event.detail.xhr && event.detail.xhr.status >= 400) {
      focusErrorSummary(swapped);
      return;
    }
    var active = document.activeElement;
    if (!active || active === document.body || !document.contains(active)) {
      var next = find(swapped, "[data-focus-after-swap]");
      if (next) next.focus();
    }
  });

  // Printing the organisation chart: responsibilities folded into <details> are printed
  // open, and closed again afterwards.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.filter.call(
      document.querySelectorAll("details:not([open])"), function (d) { d.open = true; return true; });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });

  // Errors htmx does not swap (403, 404, 500 ...) are told in the live region.
  var messages = {
    nb: "Noe gikk galt (feilkode %s). Ingenting ble lagret. Last siden på nytt og prøv igjen.",
    nn: "Noko gjekk gale (feilkode %s). Ingenting vart lagra. Last sida på nytt og prøv igjen.",
    en: "Something went wrong (error %s). Nothing was saved. Reload the page and try again."
  };
  document.addEventListener("htmx:responseError", function (event) {
    var lang = document.documentElement.lang || "nb";
    var text = (messages[lang] || messages.nb).replace("%s", event.detail.xhr.status);
    announce(text);
  });
  document.addEventListener("htmx:sendError", function () {
    var lang = document.documentElement.lang || "nb";
    announce({
      nb: "Fikk ikke kontakt med serveren. Sjekk nettet og prøv igjen.",
      nn: "Fekk ikkje kontakt med tenaren. Sjekk nettet og prøv igjen.",
      en: "Could not reach the server. Check your connection and try again."
    }[lang] || "Fikk ikke kontakt med serveren.");
  });
})();
