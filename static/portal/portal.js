// Portal behaviour without inline script (the Content-Security-Policy forbids it).
(function () {
  "use strict";

  // Messages raised during an HTMX request arrive in the HX-Trigger header (portal.middleware).
  document.body.addEventListener("portal:messages", function (event) {
    var region = document.getElementById("messages");
    if (!region) return;
    (event.detail.value || []).forEach(function (m) {
      var level = { error: "error", success: "success", warning: "warning" }[m.level] || "info";
      var alert = document.createElement("div");
      alert.className = "usa-alert usa-alert--slim usa-alert--" + level;
      if (level === "error") alert.setAttribute("role", "alert");
      var body = document.createElement("div");
      body.className = "usa-alert__body";
      var text = document.createElement("p");
      text.className = "usa-alert__text";
      text.textContent = m.message;
      body.appendChild(text);
      alert.appendChild(body);
      region.appendChild(alert);
    });
  });

  // After a swap, move focus to the element that asks for it so keyboard and screen-reader
  // users land on the new content instead of the top of the page.
  // An outerHTML swap replaces the target itself, so look the new one up by its id.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target && !target.isConnected && target.id) target = document.getElementById(target.id);
    if (!target) return;
    var focus = target.matches("[data-focus-after-swap]")
      ? target
      : target.querySelector("[data-focus-after-swap]");
    if (focus) focus.focus();
  });

  // Destructive buttons ask first: <button data-confirm="Deactivate …?">.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();

(function () {
  "use strict";
  // Autosave forms keep a Save button for browsers without JavaScript; with it, they save alone.
  document.documentElement.classList.add("portal-js");

  // After an autosave conflict, "Use theirs" puts the other person's text back in the field.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-use-theirs]");
    if (!button) return;
    var form = button.closest("form");
    var theirs = button.dataset.useTheirs;
    var text = form.querySelector("textarea[name=value]");
    if (text) text.value = theirs;
    form.querySelectorAll("input[type=radio][name=value]").forEach(function (radio) {
      radio.checked = radio.value === theirs;
    });
    var box = form.querySelector("input[type=checkbox][name=value]");
    if (box) box.checked = theirs === "on";
    form.querySelector("input[name=was]").value = theirs;
    var state = form.querySelector(".portal-save-state");
    state.textContent = "Their version is in the field.";
  });
})();
