"""Publishing: the engine's build into site/, the Pagefind index beside it, squeezing."""
