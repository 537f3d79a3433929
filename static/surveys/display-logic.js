/* Display logic, as a progressive enhancement: without this script every question shows, with its
   "(only if …)" note, and the server ignores answers to questions whose condition is not met. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-survey-form]");
  if (!form) { return; }
  var conditional = form.querySelectorAll("fieldset[data-show-if-field]");
  if (!conditional.length) { return; }

  function answer(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? parseInt(checked.value, 10) : null;
  }

  function holds(fieldset) {
    var value = answer(fieldset.dataset.showIfField);
    var target = parseInt(fieldset.dataset.showIfValue, 10);
    if (value === null || isNaN(value)) { return false; }
    if (fieldset.dataset.showIfOp === "lte") { return value <= target; }
    if (fieldset.dataset.showIfOp === "gte") { return value >= target; }
    return value === target;
  }

  function update() {
    conditional.forEach(function (fieldset) {
      // A question whose source is itself hidden stays hidden: its source has no checked answer.
      var source = form.querySelector('input[name="' + fieldset.dataset.showIfField + '"]');
      var sourceSet = source ? source.closest("fieldset") : null;
      var show = holds(fieldset) && !(sourceSet && sourceSet.hidden);
      fieldset.hidden = !show;
      fieldset.querySelectorAll("input, textarea, select").forEach(function (el) { el.disabled = !show; });
    });
  }

  conditional.forEach(function (fieldset) {
    var note = fieldset.querySelector(".condition-note");
    if (note) { note.classList.add("visually-hidden"); }
  });
  form.addEventListener("change", update);
  update();
}());
