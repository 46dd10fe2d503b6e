"""Putting a built site on a server: release folders with an atomic `current` switch
(releases), gzip files written beside the text files at deploy time (precompress), and the
nginx configuration kept in deploy/nginx/, rendered and run in the foreground (server).

The scripts `scripts/deploy`, `scripts/rollback`, `scripts/serve-release` and
`scripts/nginx-config` are the commands; this package holds what they do.
"""
