"""The chat-style terminal wizard (Textual)."""
