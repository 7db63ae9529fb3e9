/* The proposal form: small helps on top of a form that works without them.
   - The kind and direction of a ransonering are shown only when the typ is
     Ransonering; hidden, they are also disabled, so they are not sent.
   - The rank is only asked for when the recommendation is "Rangordnas".
   - The suggested rank follows the chosen svårighetsgrad (texts come
     translated from the page, data-text-<level>).
   No inline script anywhere (CSP). */
(function () {
  "use strict";

  function checkedValue(form, name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : null;
  }

  // On load, a field with an error or a merge choice stays in sight.
  function needsAttention(row) {
    return !!row.querySelector(".field--error") || row.classList.contains("proposal-row--conflict");
  }

  function setShown(row, shown, loading) {
    if (!row) return;
    if (loading && needsAttention(row)) shown = true;
    row.hidden = !shown;
    row.querySelectorAll("input, select, textarea").forEach(function (input) {
      input.disabled = !shown;
    });
  }

  function rows(form, names) {
    return names.map(function (name) {
      return form.querySelector('.proposal-row[data-field="' + name + '"]');
    });
  }

  function updateTyp(form, loading) {
    var typ = checkedValue(form, "typ");
    // Before a typ is chosen, and for Ransonering, the fields are there.
    var shown = typ === null || typ === "ransonering";
    rows(form, ["ransonering_kind", "ransonering_detail"]).forEach(function (row) {
      setShown(row, shown, loading);
    });
  }

  function updateRank(form, loading) {
    var recommendation = checkedValue(form, "rekommendation");
    var shown = recommendation === null || recommendation === "rangordnas";
    setShown(rows(form, ["rangordning"])[0], shown, loading);
  }

  function updateSuggestion(form) {
    var hint = document.getElementById("rank-suggestion");
    if (!hint) return;
    var level = checkedValue(form, "svarighetsgrad");
    var text = level ? hint.getAttribute("data-text-" + level) : "";
    if (hint.textContent !== (text || "")) hint.textContent = text || "";
  }

  function init() {
    var form = document.getElementById("proposal-form");
    if (!form) return;
    updateTyp(form, true);
    updateRank(form, true);
    form.addEventListener("change", function (event) {
      var name = event.target.name;
      if (name === "typ") updateTyp(form);
      if (name === "rekommendation") updateRank(form);
      if (name === "svarighetsgrad") updateSuggestion(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
