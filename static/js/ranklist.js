/* Ranked lists: the nämnd's ranking and the forumdeltagare's own sheet.

   Progressive enhancement of a plain form (form[data-ranklist]): "Flytta
   upp/ned" and drag and drop move the row in the page at once, under the
   same rule as ranking/ranks.py place_row (within its rank, or across to the
   neighbouring rank's edge, taking that rank; the list stays in rank order);
   the order, ranks (and whatever else the form holds) are then saved in the
   background (POST of the whole form with HX-Request: the server answers 204,
   or 422 with the errors). Each move is announced in the form's live region
   (data-live: its id). Without JavaScript the buttons submit the form and the
   server moves the row. Texts come translated from the page (data-text-* on
   the form and on #messages).

   Rows without a rank stand last: in number order where nothing keeps their
   order (data-unranked="number", the forum's sheet), else in the order given. */
(function () {
  "use strict";

  var UNRANKED = 11; // a row without a rank counts as "after 10"

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function format(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function key(rank) {
    return rank === null ? UNRANKED : rank;
  }

  // The rows by rank, keeping the given order within a rank; rows without a
  // rank last, by number or in the given order (as the server stores them).
  function inRankOrder(items, byNumber) {
    return items
      .map(function (item, index) {
        return { item: item, index: index };
      })
      .sort(function (a, b) {
        var byRank = key(a.item.rank) - key(b.item.rank);
        if (byRank !== 0) return byRank;
        if (a.item.rank === null && byNumber) return a.item.number - b.item.number;
        return a.index - b.index;
      })
      .map(function (entry) {
        return entry.item;
      });
  }

  // Move items[index] to target under the rule, then keep the rank order.
  function placeRow(items, index, target, byNumber) {
    items = items.slice();
    var moved = items.splice(index, 1)[0];
    items.splice(target, 0, moved);
    var below = items[target + 1];
    var above = target > 0 ? items[target - 1] : undefined;
    if (below && key(moved.rank) > key(below.rank)) {
      moved.rank = below.rank;
    } else if (above && key(moved.rank) < key(above.rank)) {
      moved.rank = above.rank;
    }
    return inRankOrder(items, byNumber);
  }

  function initSheet(form) {
    var tbody = form.querySelector("tbody");
    var texts = form.dataset;
    var live = document.getElementById(texts.live);
    var byNumber = texts.unranked === "number";
    var site = (document.getElementById("messages") || { dataset: {} }).dataset;
    var dragged = null;
    var saving = false;
    var again = false;

    // Empty the region first, so that the same words said twice (a second
    // "står kvar") are announced again.
    var said = 0;
    function say(text) {
      if (!live) return;
      var mine = ++said;
      live.textContent = "";
      window.setTimeout(function () {
        if (mine === said) live.textContent = text;
      }, 50);
    }

    function rows() {
      return Array.prototype.slice.call(tbody.querySelectorAll("tr[data-proposal]"));
    }

    function rankInput(row) {
      return row.querySelector("input.ranklist-rank");
    }

    // The row as the rule sees it; null when its rank is not a whole 1–10.
    function itemOf(row) {
      var value = rankInput(row).value.trim();
      var rank = null;
      if (value !== "") {
        if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 10) return null;
        rank = Number(value);
      }
      return { row: row, rank: rank, number: Number(row.dataset.number) };
    }

    // target(items, index) gives the new index of the moved row.
    function move(row, target, focusButton) {
      var items = [];
      var current = rows();
      for (var i = 0; i < current.length; i++) {
        var item = itemOf(current[i]);
        if (item === null) {
          say(format(texts.textInvalid, { reference: current[i].dataset.reference }));
          rankInput(current[i]).focus();
          return;
        }
        items.push(item);
      }
      // What was typed first takes its place, as a save on the server does.
      items = inRankOrder(items, byNumber);
      var index = items.findIndex(function (item) {
        return item.row === row;
      });
      var to = target(items, index);
      var before = { index: index, rank: items[index].rank };
      if (to >= 0 && to < items.length && to !== index) {
        items = placeRow(items, index, to, byNumber);
      }
      var place = items.findIndex(function (item) {
        return item.row === row;
      });
      var rank = items[place].rank;
      var changed = place !== before.index || rank !== before.rank;
      items.forEach(function (item, position) {
        var input = rankInput(item.row);
        var value = item.rank === null ? "" : String(item.rank);
        if (input.value.trim() !== value) input.value = value;
        if (tbody.children[position] !== item.row) {
          tbody.insertBefore(item.row, tbody.children[position] || null);
        }
        item.row.querySelector(".ranklist-place-number").textContent = String(position + 1);
      });
      if (focusButton) focusButton.focus();
      var values = { reference: row.dataset.reference, place: place + 1, count: items.length, rank: rank };
      if (!changed) {
        say(format(texts.textStayed, values));
      } else {
        say(format(rank === null ? texts.textMovedUnranked : texts.textMoved, values));
      }
      save();
    }

    function failed(text) {
      say((texts.textNotSaved || "") + " " + text);
    }

    // One save at a time; moves made meanwhile go in the next one.
    function save() {
      if (saving) {
        again = true;
        return;
      }
      saving = true;
      // URL-encoded, not multipart: two fields per proposal parse far faster
      // on the server (600 proposals: about 100 ms less per save).
      var data = new URLSearchParams(new FormData(form));
      // Each save carries the whole sheet and must reach the server: without
      // the form's submit key, which would have the next one answered with the
      // first one's answer and not saved (prioritering/transactions.py).
      data.delete("submit_key");
      var token = csrfToken();
      if (token) data.set("csrfmiddlewaretoken", token);
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "HX-Request": "true", "X-CSRFToken": token },
      })
        .then(function (response) {
          if (response.status === 204) return;
          if (response.status === 422) {
            return response.json().then(function (answer) {
              failed((answer.errors || []).join(" "));
            });
          }
          if (response.status === 401) return failed(site.textSignedOut || "");
          if (response.status === 403) return failed(site.textForbidden || "");
          failed(site.textError || "");
        })
        .catch(function () {
          failed(site.textOffline || "");
        })
        .finally(function () {
          saving = false;
          if (again) {
            again = false;
            save();
          }
        });
    }

    tbody.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=flytta]");
      if (!button) return;
      event.preventDefault();
      var row = button.closest("tr[data-proposal]");
      var step = button.dataset.direction === "upp" ? -1 : 1;
      move(
        row,
        function (items, index) {
          return index + step;
        },
        button
      );
    });

    // Drag and drop with the mouse: a handle in each row; dropped on a row,
    // the moved row takes that row's place.
    rows().forEach(function (row) {
      var handle = document.createElement("span");
      handle.className = "ranklist-drag-handle";
      handle.draggable = true;
      handle.setAttribute("aria-hidden", "true");
      handle.title = texts.textHandle || "";
      handle.textContent = "⠿";
      row.querySelector(".ranklist-place").prepend(handle);
    });

    function dropTarget(event) {
      var row = event.target.closest && event.target.closest("tr[data-proposal]");
      return row && row !== dragged && tbody.contains(row) ? row : null;
    }

    function clearMarks() {
      rows().forEach(function (row) {
        row.classList.remove("ranklist-drop-target", "ranklist-dragging");
      });
    }

    tbody.addEventListener("dragstart", function (event) {
      if (!event.target.classList || !event.target.classList.contains("ranklist-drag-handle")) return;
      dragged = event.target.closest("tr[data-proposal]");
      dragged.classList.add("ranklist-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.reference);
      event.dataTransfer.setDragImage(dragged, 16, 16);
    });
    tbody.addEventListener("dragover", function (event) {
      if (!dragged) return;
      var row = dropTarget(event);
      if (!row) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      rows().forEach(function (other) {
        other.classList.toggle("ranklist-drop-target", other === row);
      });
    });
    tbody.addEventListener("drop", function (event) {
      if (!dragged) return;
      var row = dropTarget(event);
      if (!row) return;
      event.preventDefault();
      var moving = dragged;
      dragged = null;
      clearMarks();
      move(
        moving,
        function (items) {
          return items.findIndex(function (item) {
            return item.row === row;
          });
        },
        null
      );
    });
    tbody.addEventListener("dragend", function () {
      dragged = null;
      clearMarks();
    });
  }

  function init() {
    var forms = document.querySelectorAll("form[data-ranklist]");
    for (var i = 0; i < forms.length; i++) initSheet(forms[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
