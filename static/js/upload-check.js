/* Refuses a file over the size limit or of another type as soon as it is chosen, before the
   form uploads it (a phone on a slow connection would send megabytes only to hear "too large").
   Progressive enhancement: the server checks every file again; without JavaScript nothing
   changes. Reads the input's data-max-bytes, accept, data-too-large and data-bad-type
   (portal.uploads.upload_attrs); the message is shown under the input and announced. */
(function () {
  "use strict";
  var TYPES = ["application/pdf", "image/jpeg", "image/png"];
  function allowed(file, accept) {
    var name = file.name.toLowerCase();
    var extensions = accept.split(",").filter(function (a) { return a.charAt(0) === "."; });
    var byName = extensions.some(function (ext) { return name.slice(-ext.length) === ext; });
    // The browser's type may be empty (unknown); the name decides then.
    return byName && (!file.type || TYPES.indexOf(file.type) !== -1);
  }
  function message(input) {
    var id = input.id + "_check";
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "invalid-feedback d-block upload-check";
      box.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", box);
      var described = (input.getAttribute("aria-describedby") || "").split(" ");
      if (described.indexOf(id) === -1) {
        described.unshift(id);
        input.setAttribute("aria-describedby", described.join(" ").trim());
      }
    }
    return box;
  }
  function check(event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var problem = "";
    Array.prototype.forEach.call(input.files || [], function (file) {
      if (problem) return;
      if (!allowed(file, input.getAttribute("accept") || "")) {
        problem = input.getAttribute("data-bad-type").replace("{name}", file.name);
      } else if (file.size > limit) {
        var mb = (file.size / 1048576).toFixed(1);
        if (document.documentElement.lang !== "en") mb = mb.replace(".", ",");
        problem = input.getAttribute("data-too-large").replace("{name}", file.name)
          .replace("{size}", mb);
      }
    });
    var box = message(input);
    box.textContent = problem;
    box.hidden = !problem;
    input.classList.toggle("is-invalid", !!problem);
    if (problem) {
      input.value = "";  // nothing is sent; the citizen chooses another file
      input.setAttribute("aria-invalid", "true");
    } else {
      var wrap = input.closest(".file-field");
      if (!wrap || !wrap.querySelector(".invalid-feedback:not(.upload-check)")) {
        input.removeAttribute("aria-invalid");
      }
    }
  }
  document.addEventListener("change", check);
})();
