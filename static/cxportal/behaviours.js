/* Small page behaviours declared by data attributes instead of inline scripts or on…= handlers, which the
   Content-Security-Policy forbids:
     <button data-print>                     prints the page
     <form data-confirm="Delete this?">      asks before submitting
     <a href="/fallback/" data-history-back> goes back (the href is the way without JavaScript)
     <button data-copy-target="field-id" data-copied="…" data-copy-failed="…" data-copy-status="status-id">
                                             copies a field's value to the clipboard
   Listeners sit on the document, so content that htmx swaps in works too. */
(function () {
  "use strict";
  // The JavaScript catalogue (/jsi18n/) is loaded before this file; without it the English text shows.
  var gettext = window.gettext || function (text) { return text; };

  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status") || "");
    var label = button.textContent;
    field.select();
    function done(ok) {
      if (status) {
        status.textContent = button.getAttribute(ok ? "data-copied" : "data-copy-failed") ||
          (ok ? gettext("Copied to the clipboard.") : gettext("Copying failed: select the text and copy it yourself."));
      }
      button.textContent = ok ? button.getAttribute("data-copied-label") || label : label;
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { done(true); }, function () { done(false); });
    } else {
      done(Boolean(document.execCommand && document.execCommand("copy")));
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-print], [data-history-back], [data-copy-target]");
    if (!target) return;
    if (target.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
    } else if (target.hasAttribute("data-history-back")) {
      if (window.history.length > 1 && document.referrer.indexOf(window.location.origin + "/") === 0) {
        event.preventDefault();
        window.history.back();
      }
    } else {
      copy(target);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm")) return;
    var question = form.getAttribute("data-confirm") || gettext("Are you sure?");
    if (!window.confirm(question)) event.preventDefault();
  });
})();
