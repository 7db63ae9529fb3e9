/* The forum's live meeting view (the sheets' moving rows: ranklist.js). */
(function () {
  "use strict";

  // The meeting view: htmx polls the table; tell once, in one place, when the
  // server cannot be reached (not a new message every two seconds).
  function initMeeting(meeting) {
    var problem = document.getElementById("forum-meeting-problem");
    function show(text) {
      if (problem && problem.textContent !== text) problem.textContent = text;
    }
    meeting.addEventListener("htmx:sendError", function (event) {
      event.stopPropagation();
      show(problem.dataset.textOffline);
    });
    meeting.addEventListener("htmx:responseError", function (event) {
      var status = event.detail.xhr ? event.detail.xhr.status : 0;
      if (status === 401 || status === 403) return; // app.js tells these
      event.stopPropagation();
      show(problem.dataset.textError);
    });
    meeting.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.successful) show("");
    });
  }

  function init() {
    var meeting = document.getElementById("forum-meeting");
    if (meeting) initMeeting(meeting);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
