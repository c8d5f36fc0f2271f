// Enter asks (Shift+Enter keeps a new line); the header follows index reloads.
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (event.key === "Enter" && !event.shiftKey && box.matches("form.ask textarea")) {
    event.preventDefault();
    if (box.value.trim()) box.form.requestSubmit();
  }
});

async function watchIndex() {
  const status = document.getElementById("status");
  try {
    const now = await (await fetch("/api/status")).json();
    if (now.loaded_at !== status.dataset.loaded) {
      status.dataset.loaded = now.loaded_at;
      status.textContent = `${now.stories} stories · ${now.model} `;
      const note = document.createElement("span");
      note.className = now.problem ? "problem" : "reloaded";
      note.textContent = now.problem || `documents changed; index reloaded at ${now.loaded_at}: ${now.reloaded}`;
      status.append(note);
    }
  } catch (error) { /* the server stopped; the page keeps what it shows */ }
}
setInterval(watchIndex, 5000);
