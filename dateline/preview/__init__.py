"""The live preview: the server and the file watcher."""
