// A zip or workbook dropped on the upload card becomes the file input's file (the input still works alone).
document.addEventListener("DOMContentLoaded", () => {
  for (const zone of document.querySelectorAll("[data-drop]")) {
    const input = zone.querySelector("input[type=file]");
    const named = zone.querySelector("[data-dropped]");
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("dragging"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("dragging");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        named.textContent = input.files[0].name;
      }
    });
  }
});
