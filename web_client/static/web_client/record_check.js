// The public verification page: hash the chosen file in the browser (Web Crypto), so that only
// its SHA-256 is sent; then submit the form.
(function () {
  const input = document.getElementById("record-file");
  const field = document.getElementById("record-sha256");
  const status = document.getElementById("record-status");
  if (!input || !field) return;
  input.addEventListener("change", async function () {
    const file = input.files && input.files[0];
    if (!file) return;
    if (!(window.crypto && crypto.subtle)) {
      status.textContent = input.dataset.unsupported;
      return;
    }
    status.textContent = input.dataset.hashing;
    const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
    field.value = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    status.textContent = "";
    input.form.submit();
  });
})();
