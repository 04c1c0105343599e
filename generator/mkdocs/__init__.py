"""The MkDocs adapter: hooks for speed only; the core never imports it."""
