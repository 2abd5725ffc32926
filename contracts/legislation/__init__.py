"""legislation's contracts: drafts and their articles, the directory of offices and contact points,
consultation tasks, comments, and the events between them (基层立法联系点)."""
