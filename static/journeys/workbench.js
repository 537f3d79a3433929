/* The map workbench: the edit modal and drag-and-drop reordering of stages (progressive enhancement:
   every control is also a plain link or form, and the ← → buttons reorder stages from the keyboard). */
(function () {
  "use strict";

  function modal() {
    var el = document.getElementById("workbench-modal");
    return el && window.bootstrap ? window.bootstrap.Modal.getOrCreateInstance(el) : null;
  }

  // A form or confirmation loaded into the modal body: show the modal and focus its first field.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "workbench-modal-body") {
      var m = modal();
      if (m) { m.show(); }
      var field = event.detail.target.querySelector("input:not([type=hidden]), select, textarea, button");
      if (field) { setTimeout(function () { field.focus(); }, 200); }
    }
  });
  // An inline cell editor opened or closed: keep the keyboard focus in that cell.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var id = event.detail.target && event.detail.target.id;
    if (!/^cell-\d+-\d+$/.test(id || "")) { return; }
    var cell = document.getElementById(id);
    var field = cell && (cell.querySelector("textarea") || cell.querySelector(".cell-edit"));
    if (field) { field.focus(); }
  });
  // The server says a change was saved (HX-Trigger: workbench-saved): close the modal.
  document.body.addEventListener("workbench-saved", function () {
    var m = modal();
    if (m) { m.hide(); }
  });

  // Drag and drop of stage headers; the new order is posted and the board comes back re-rendered.
  var dragged = null;

  function stageHeader(target) {
    return target && target.closest ? target.closest("th.stage[data-stage-id]") : null;
  }
  function clearMarks() {
    document.querySelectorAll("th.stage.drop-before, th.stage.drop-after").forEach(function (th) {
      th.classList.remove("drop-before", "drop-after");
    });
  }
  function after(th, event) {
    var box = th.getBoundingClientRect();
    return event.clientX > box.left + box.width / 2;
  }

  document.addEventListener("dragstart", function (event) {
    var th = stageHeader(event.target);
    if (!th || th.getAttribute("draggable") !== "true") { return; }
    dragged = th;
    th.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", th.dataset.stageId);
  });
  document.addEventListener("dragover", function (event) {
    var th = stageHeader(event.target);
    if (!dragged || !th || th === dragged) { return; }
    event.preventDefault();
    clearMarks();
    th.classList.add(after(th, event) ? "drop-after" : "drop-before");
  });
  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    clearMarks();
  });
  document.addEventListener("drop", function (event) {
    var th = stageHeader(event.target);
    if (!dragged || !th || th === dragged) { return; }
    event.preventDefault();
    var ids = Array.prototype.map.call(th.parentNode.querySelectorAll("th.stage[data-stage-id]"), function (h) {
      return h.dataset.stageId;
    }).filter(function (id) { return id !== dragged.dataset.stageId; });
    var index = ids.indexOf(th.dataset.stageId) + (after(th, event) ? 1 : 0);
    ids.splice(index, 0, dragged.dataset.stageId);
    var board = document.getElementById("map-board");
    var url = board && board.dataset.reorderUrl;
    dragged.classList.remove("dragging");
    dragged = null;
    clearMarks();
    if (!url) { return; }
    if (window.htmx) {
      window.htmx.ajax("POST", url, { target: "#map-board", swap: "outerHTML", values: { stages: ids.join(",") } });
    } else {
      var body = new URLSearchParams({ stages: ids.join(",") });
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
        .then(function () { window.location.reload(); });
    }
  });
})();
