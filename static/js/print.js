// The print view's "Print" button: shown only when scripts run; otherwise the advice stays.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-button");
  var advice = document.getElementById("print-advice");
  if (!button) return;
  button.hidden = false;
  if (advice) advice.hidden = true;
  button.addEventListener("click", function () { window.print(); });
});
