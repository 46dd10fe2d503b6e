"""The site's search: what a page gives the index (`terms`) and the index itself, made by
Pagefind from the built pages at the end of a build (`pagefind`)."""
