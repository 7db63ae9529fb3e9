/* Prioritering: a form is sent once.

   Every POST form carries a submit_key ({% submit_key %}, prioritering/templatetags/
   submission.py). The server answers a second request with the same key with the
   first request's answer and writes nothing (prioritering/transactions.py). Here:

   - The buttons of a form that is on its way wait (aria-disabled, and aria-busy on
     the one that sent it) and a second submission meanwhile is not sent: a double
     click, Enter pressed twice. Disabled with aria-disabled rather than `disabled`:
     the button keeps the focus and stays in the Tab order, and the name and value
     of the button that sent the form still go with it.
   - An htmx form waits until its answer has come, then gets a fresh key: adding a
     second item on purpose is new, not a repeat of the first. A request that got
     no answer at all keeps its key, so sending it again is harmless whatever
     became of the first.
   - A form sent the ordinary way waits for the next page. Back to it from the
     browser's cache (pageshow), its buttons work again with a fresh key.
   - A form rendered without a key gets one when it is first sent.

   No inline script anywhere (CSP). */
(function () {
  "use strict";

  var FIELD = "submit_key";
  // On a form on its way: "" until htmx takes it, "htmx" after. On its waiting
  // buttons: their own aria-disabled from before, given back afterwards.
  var SENDING = "data-sending";
  var UNSAFE = ["post", "put", "patch", "delete"];

  function hex(bytes) {
    return Array.prototype.map
      .call(bytes, function (byte) {
        return (byte + 0x100).toString(16).slice(1);
      })
      .join("");
  }

  // A version 4 UUID. crypto.randomUUID needs a secure context (https or
  // localhost); a municipal intranet on plain http still has getRandomValues.
  function newKey() {
    var crypto = window.crypto;
    if (crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    if (crypto && typeof crypto.getRandomValues === "function") {
      crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var text = hex(bytes);
    return [text.slice(0, 8), text.slice(8, 12), text.slice(12, 16), text.slice(16, 20), text.slice(20)].join("-");
  }

  function attribute(element, name) {
    return element.getAttribute(name) || element.getAttribute("data-" + name);
  }

  // Does this submission write? (GET forms, the filters, are left alone.)
  function writes(form, submitter) {
    for (var i = 0; i < UNSAFE.length; i++) {
      if (attribute(form, "hx-" + UNSAFE[i]) !== null) return true;
    }
    var method = (submitter && submitter.getAttribute("formmethod")) || form.getAttribute("method") || "get";
    return method.toLowerCase() === "post";
  }

  function keyField(form) {
    return form.querySelector('input[name="' + FIELD + '"]');
  }

  function ensureKey(form) {
    if (keyField(form)) return;
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = FIELD;
    field.value = newKey();
    form.appendChild(field);
  }

  function renewKey(form) {
    var field = keyField(form);
    if (field) field.value = newKey();
  }

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return (element.tagName === "BUTTON" || element.tagName === "INPUT") && element.type === "submit";
    });
  }

  function wait(form, submitter) {
    form.setAttribute(SENDING, "");
    submitButtons(form).forEach(function (button) {
      button.setAttribute(SENDING, button.getAttribute("aria-disabled") || "");
      button.setAttribute("aria-disabled", "true");
      if (button === submitter) button.setAttribute("aria-busy", "true");
    });
  }

  function release(form) {
    form.removeAttribute(SENDING);
    submitButtons(form).forEach(function (button) {
      if (!button.hasAttribute(SENDING)) return;
      var before = button.getAttribute(SENDING);
      if (before) {
        button.setAttribute("aria-disabled", before);
      } else {
        button.removeAttribute("aria-disabled");
      }
      button.removeAttribute("aria-busy");
      button.removeAttribute(SENDING);
    });
  }

  // The form an htmx request was about: the element itself, or the form of a
  // button or field that made it.
  function formOf(element) {
    if (!element) return null;
    if (element.tagName === "FORM") return element;
    return element.form || (element.closest && element.closest("form")) || null;
  }

  // A waiting button does nothing: not a click, not Enter (which clicks it),
  // not the implicit submission of Enter in a field (which clicks the form's
  // default button). Capture on window: before htmx and the page's own handlers.
  window.addEventListener(
    "click",
    function (event) {
      var button = event.target.closest && event.target.closest("button[" + SENDING + "], input[" + SENDING + "]");
      if (button && button.form && button.form.hasAttribute(SENDING)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  window.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !writes(form, event.submitter)) return;
      if (form.hasAttribute(SENDING)) {
        // On its way already: not sent again.
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
      ensureKey(form);
      wait(form, event.submitter || null);
      // Once every handler has had the event: sent the ordinary way, the form
      // waits for the next page; taken by htmx, for its answer. Stopped by
      // anyone else (or by htmx without a request), nothing is on its way.
      window.setTimeout(function () {
        if (event.defaultPrevented && form.getAttribute(SENDING) === "") release(form);
      }, 0);
    },
    true
  );

  document.addEventListener("htmx:beforeSend", function (event) {
    var form = formOf(event.detail.elt);
    if (form && form.hasAttribute(SENDING)) form.setAttribute(SENDING, "htmx");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = formOf(event.detail.elt);
    if (!form || form.getAttribute(SENDING) !== "htmx") return;
    var xhr = event.detail.xhr;
    var answered = xhr && xhr.status !== 0;
    // The answer sends the browser to another page: wait for it.
    if (answered && (xhr.getResponseHeader("HX-Redirect") || xhr.getResponseHeader("HX-Refresh") === "true")) {
      form.setAttribute(SENDING, "");
      return;
    }
    if (answered) renewKey(form);
    release(form);
  });

  // Back to a page kept in the browser's cache: what was on its way has arrived.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[" + SENDING + "]").forEach(function (form) {
      renewKey(form);
      release(form);
    });
  });
})();
