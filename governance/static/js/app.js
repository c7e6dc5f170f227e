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

  // After a swap: move focus to an error summary in the new content, if any.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) return;
    var swapped = document.getElementById(target.id) || target;
    if (event.detail.xhr && event.detail.xhr.status >= 400) {
      focusErrorSummary(swapped);
    }
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
