"""The publishing pipeline for the 话脱贫、感党恩、奋进新时代 site.

Sources are loaded and validated into one Catalog; generators read the Catalog only.
The MkDocs hook file and the contributor scripts both import this package.
"""
