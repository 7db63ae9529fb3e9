/* The verksamhetsanalys grid (templates/rounds/analysis/grid.html): its
   disclosures behave as a keyboard user expects. Everything works without this
   file: each item's menu and each cell's "Lägg till punkt" are <details>, every
   action a plain form.

   - "Lägg till punkt" opens the cell's field with the focus in it; "Avbryt"
     empties and closes it and gives the focus back to "Lägg till punkt".
   - One item menu is open at a time. Escape closes it (the focus back on its
     toggle), and so does the focus or a click going elsewhere.
   - After htmx swaps a cell, a field the browser kept with a half-written
     item in it (hx-preserve) is shown open again.

   No inline script anywhere (CSP). */
(function () {
  "use strict";

  var ADD = "details.grid-add";
  var MENU = "details.item-menu";

  function closest(element, selector) {
    return element && element.closest ? element.closest(selector) : null;
  }

  function closeMenu(menu, focusToggle) {
    menu.open = false;
    if (focusToggle) menu.querySelector("summary").focus();
  }

  document.addEventListener("click", function (event) {
    var toggle = closest(event.target, ADD + " > summary");
    if (toggle) {
      // Toggled here rather than natively, so the focus can follow at once.
      event.preventDefault();
      var add = toggle.parentElement;
      add.open = !add.open;
      var field = add.querySelector("textarea");
      if (add.open && field) field.focus();
      return;
    }
    var cancel = closest(event.target, "[data-grid-add-cancel]");
    if (cancel) {
      event.preventDefault();
      var details = closest(cancel, ADD);
      var text = details.querySelector("textarea");
      if (text) text.value = "";
      details.open = false;
      details.querySelector("summary").focus();
      return;
    }
    document.querySelectorAll(MENU + "[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) closeMenu(menu, false);
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = closest(event.target, MENU + "[open]");
    if (menu) {
      event.preventDefault();
      closeMenu(menu, true);
    }
  });

  // Tabbing out of an open menu closes it. (A click inside may move the focus
  // nowhere, as Safari does for buttons: relatedTarget is then null.)
  document.addEventListener("focusout", function (event) {
    var menu = closest(event.target, MENU + "[open]");
    var next = event.relatedTarget;
    if (menu && next && !menu.contains(next)) closeMenu(menu, false);
  });

  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll(ADD + ":not([open])").forEach(function (add) {
      var field = add.querySelector("textarea");
      if (field && field.value.trim() !== "") add.open = true;
    });
  });
})();
