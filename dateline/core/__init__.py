"""The pure stages: read the content, check it, assemble the timeline. No output, no templates, no cache."""
