# Turns emscripten's MODULARIZE output into an ES module: `export default createEngine;`.
file(READ "${IN}" content)
file(WRITE "${OUT}" "${content}\nexport default createEngine;\n")
