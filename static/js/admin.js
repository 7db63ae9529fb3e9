/* Prioritering: accessible names for the admin's autocomplete fields.
   Django's admin draws autocomplete_fields with select2, whose combobox is
   labelled only by the text of the current choice: empty when nothing is
   chosen (axe: aria-input-field-name), and never saying which field it is.
   Point it at the field's own <label> too. A MutationObserver catches select2
   however late it starts (page load, a new inline row). */
(function () {
  "use strict";

  var PREFIX = "select2-";
  var SUFFIX = "-container";

  function labelFor(id) {
    var label = document.querySelector('label[for="' + CSS.escape(id) + '"]');
    if (label && !label.id) {
      label.id = id + "-label";
    }
    return label;
  }

  function nameComboboxes(root) {
    var rendered = root.querySelectorAll(
      ".select2-selection__rendered[id^='" + PREFIX + "'][id$='" + SUFFIX + "']"
    );
    rendered.forEach(function (element) {
      var label = labelFor(element.id.slice(PREFIX.length, -SUFFIX.length));
      if (!label) {
        return;
      }
      element.setAttribute("aria-labelledby", label.id);
      var combobox = element.closest("[role=combobox]");
      if (combobox) {
        combobox.setAttribute("aria-labelledby", label.id + " " + element.id);
      }
    });
  }

  new MutationObserver(function (records) {
    var added = records.some(function (record) {
      return Array.prototype.some.call(record.addedNodes, function (node) {
        return node.nodeType === Node.ELEMENT_NODE && node.classList.contains("select2");
      });
    });
    if (added) {
      nameComboboxes(document);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  nameComboboxes(document);
})();
