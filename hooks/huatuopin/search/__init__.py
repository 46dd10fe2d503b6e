"""The site's search: what a page gives the index (`terms`), its record (`records`), how text
becomes tokens (`tokens`), the index itself (`indexer`) and running it after a build
(`indexing`)."""
