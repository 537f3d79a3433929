/* The admin's periodic-task form (django-celery-beat): the crontab's help says in words when it runs.
   Moved out of the package's inline script, which our Content-Security-Policy blocks. */
(function ($) {
  "use strict";
  var script = document.getElementById("periodic-task-overrides");
  var readable = JSON.parse(document.getElementById("readable-crontabs").textContent);
  var originalHelp = script.getAttribute("data-crontab-help") || "";

  function updateHelp(additional) {
    var help = $(".field-crontab .help").empty().get(0);
    if (!help) return;
    help.appendChild(document.createTextNode(originalHelp));
    help.appendChild(document.createElement("br"));
    help.appendChild(document.createTextNode(interpolate(gettext("In words: %s"), [additional || ""])));
  }

  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () { updateHelp(readable[$("#id_crontab").val()]); });
})(django.jQuery);
