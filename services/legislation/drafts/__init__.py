"""Drafts (法律法规草案): articles, the article parser, the consultation window, versions."""
