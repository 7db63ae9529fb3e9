/* Prioritering: the little glue htmx needs. No inline script anywhere (CSP).
   Texts come translated from the page (data-text-* on #messages). */
(function () {
  "use strict";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // Send the CSRF token with every htmx request. Read from the cookie at the
  // time of the request, so a token rotated by signing in is never stale.
  document.addEventListener("htmx:configRequest", function (event) {
    var method = (event.detail.verb || "get").toUpperCase();
    if (method !== "GET") {
      event.detail.headers["X-CSRFToken"] = csrfToken();
    }
  });

  // A plain form carries the CSRF token it was rendered with. Signing in (in
  // this or another tab) rotates the token, so send the current one.
  document.addEventListener(
    "submit",
    function (event) {
      var token = csrfToken();
      var field = event.target.querySelector && event.target.querySelector('input[name="csrfmiddlewaretoken"]');
      if (field && token) {
        field.value = token;
      }
    },
    true
  );

  // htmx does not swap error responses: tell the user in the live region.
  function announce(key, text) {
    var region = document.getElementById("messages");
    if (!region) return null;
    var p = document.createElement("p");
    p.className = "message message--error";
    p.textContent = text || region.dataset[key] || "";
    region.appendChild(p);
    return p;
  }

  // The database cannot be reached: the server says so in the reader's
  // language, as plain text (prioritering.middleware.DatabaseUnavailableMiddleware).
  function unavailableText(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    return type.indexOf("text/plain") === 0 ? xhr.responseText.trim().slice(0, 300) : "";
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 401) {
      // Signed out while working: keep the form as it is, offer sign-in in a
      // new tab so nothing typed is lost, then the user saves again.
      var p = announce("textSignedOut");
      var region = document.getElementById("messages");
      if (p && region && region.dataset.loginUrl) {
        var link = document.createElement("a");
        link.href = region.dataset.loginUrl;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = region.dataset.textSignInLink || "";
        p.appendChild(document.createTextNode(" "));
        p.appendChild(link);
      }
      return;
    }
    if (status === 503) {
      announce("textError", unavailableText(event.detail.xhr));
      return;
    }
    announce(status === 403 ? "textForbidden" : "textError");
  });

  document.addEventListener("htmx:sendError", function () {
    announce("textOffline");
  });
})();
