/* The map workbench (edit mode; forms open in the side panel of mapview.js): drag-and-drop reordering of stages and drag-and-drop moving of
   touchpoint cards (progressive enhancement: every control is also a plain link or form; the ← → buttons
   reorder stages and the ↑ ↓ ← → buttons move touchpoint cards from the keyboard). */
(function () {
  "use strict";

  // An inline cell editor opened or closed: keep the keyboard focus in that cell.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var id = event.detail.target && event.detail.target.id;
    if (!/^cell-\d+-\d+$/.test(id || "")) { return; }
    var cell = document.getElementById(id);
    var field = cell && (cell.querySelector("textarea") || cell.querySelector(".cell-edit"));
    if (field) { field.focus(); }
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

  // A refused edit answers 400 with the unchanged board and the reason: show it (htmx keeps 4xx out by default).
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 400 && xhr.getResponseHeader("HX-Retarget") === "#map-board") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A touchpoint card moved (HX-Trigger-After-Settle: touchpoint-moved): keep the keyboard focus on it. htmx has
  // already refocused the pressed button when it is still usable; otherwise (now disabled, or after a drag) the
  // card itself takes the focus.
  document.body.addEventListener("touchpoint-moved", function (event) {
    focusMovedCard(event.detail && event.detail.id);
  });
  // The same from the response itself: the trigger event is dispatched on the pressed button, which the new board
  // has replaced, so on a slow machine it may never reach the body.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var header = xhr && xhr.getResponseHeader && xhr.getResponseHeader("HX-Trigger-After-Settle");
    if (!header || header.indexOf("touchpoint-moved") < 0) { return; }
    try { focusMovedCard(JSON.parse(header)["touchpoint-moved"].id); } catch (e) { /* not ours */ }
  });
  function focusMovedCard(id) {
    var card = id && document.getElementById("tp-" + id);
    if (!card) { return; }
    var active = document.activeElement;
    if (active && active !== card && card.contains(active) && !active.disabled) { return; }
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest", inline: "nearest" });
    // Fragments of the new board (KPI badges, actions) load right after it; should one of those swaps drop the
    // focus to the page, give it back to the card rather than leave a keyboard user at the top of the page.
    keepFocusOn = { id: card.id, until: Date.now() + 3000 };
  }
  var keepFocusOn = null;
  function restoreCardFocus() {
    if (!keepFocusOn || Date.now() > keepFocusOn.until) { keepFocusOn = null; return; }
    var active = document.activeElement;
    if (active && active !== document.body) { return; }
    var card = document.getElementById(keepFocusOn.id);
    if (card) { card.focus({ preventScroll: true }); }
  }
  document.body.addEventListener("htmx:afterSettle", restoreCardFocus);
  document.body.addEventListener("focusout", function () { setTimeout(restoreCardFocus, 0); });
  ["keydown", "pointerdown"].forEach(function (type) {
    document.body.addEventListener(type, function () { keepFocusOn = null; });
  });

  // Drag and drop of touchpoint cards onto a cell of the touchpoint lane: the target stage and the place among
  // the cell's other cards are posted; the board comes back re-rendered.
  var draggedCard = null;

  function dropCell(target) {
    return target && target.closest ? target.closest("td[data-drop-stage]") : null;
  }
  function otherCards(cell) {
    return Array.prototype.filter.call(cell.querySelectorAll(".touchpoint-card[data-touchpoint-id]"), function (card) {
      return card !== draggedCard;
    });
  }
  function dropPosition(cell, event) {
    var cards = otherCards(cell);
    for (var i = 0; i < cards.length; i++) {
      var box = cards[i].getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) { return i; }
    }
    return cards.length;
  }
  function clearCardMarks() {
    document.querySelectorAll("td.drop-target, .touchpoint-card.drop-before, .touchpoint-card.drop-after")
      .forEach(function (el) { el.classList.remove("drop-target", "drop-before", "drop-after"); });
  }
  function markDrop(cell, position) {
    clearCardMarks();
    cell.classList.add("drop-target");
    var cards = otherCards(cell);
    if (position < cards.length) {
      cards[position].classList.add("drop-before");
    } else if (cards.length) {
      cards[cards.length - 1].classList.add("drop-after");
    }
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target && event.target.closest ? event.target.closest(".touchpoint-card[draggable='true']") : null;
    if (!card) { return; }
    if (event.target !== card) {
      // A link inside the card (links drag on their own) carries the whole card.
      var box = card.getBoundingClientRect();
      event.dataTransfer.setDragImage(card, event.clientX - box.left, event.clientY - box.top);
    }
    draggedCard = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.touchpointId);
  });
  document.addEventListener("dragover", function (event) {
    var cell = dropCell(event.target);
    if (!draggedCard || !cell) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    markDrop(cell, dropPosition(cell, event));
  });
  document.addEventListener("dragend", function () {
    if (draggedCard) { draggedCard.classList.remove("dragging"); }
    draggedCard = null;
    clearCardMarks();
  });
  document.addEventListener("drop", function (event) {
    var cell = dropCell(event.target);
    if (!draggedCard || !cell) { return; }
    event.preventDefault();
    var card = draggedCard;
    var position = dropPosition(cell, event);
    var stage = cell.dataset.dropStage;
    // Dropped back onto its own place: nothing to save.
    var unchanged = dropCell(card) === cell &&
      Array.prototype.indexOf.call(cell.querySelectorAll(".touchpoint-card[data-touchpoint-id]"), card) === position;
    card.classList.remove("dragging");
    draggedCard = null;
    clearCardMarks();
    if (unchanged || !card.dataset.moveUrl) { return; }
    var values = { stage: stage, position: position };
    if (window.htmx) {
      window.htmx.ajax("POST", card.dataset.moveUrl, { source: card, target: "#map-board", swap: "outerHTML", values: values });
    } else {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      fetch(card.dataset.moveUrl, { method: "POST", body: new URLSearchParams(values), headers: headers, credentials: "same-origin" })
        .then(function () { window.location.reload(); });
    }
  });
})();
