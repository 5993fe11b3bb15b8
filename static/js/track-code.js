// The tracking link in a message carries the access code in the address's fragment
// (/lacak/?nomor=N#kode=C), which browsers never send to a server: this puts the code into the
// tracking form, removes it from the address bar and history, and sends the form (a POST, so
// the code stays out of every access log). Without JavaScript the citizen types the code.
(function () {
  "use strict";
  var match = /(?:^#|&)kode=([^&]*)/.exec(window.location.hash);
  if (!match) {
    return;
  }
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  var form = document.querySelector("form[data-track-form]");
  if (!form || form.querySelector(".alert-danger")) {
    return; // a refused try shows its message; it is not sent again
  }
  var code = form.querySelector("[name=code]");
  var number = form.querySelector("[name=number]");
  code.value = decodeURIComponent(match[1].replace(/\+/g, " "));
  if (number.value) {
    form.submit();
  } else {
    number.focus();
  }
})();
