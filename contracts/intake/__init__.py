"""intake's contracts, one module per capability: opinions, the directory, receptions, deputy
suggestions, photos, duplicate groups and hot words, bulk imports."""
