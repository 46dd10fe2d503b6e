"""投稿台: the submission desk where invited reporters and artists submit stories from their
phones and editors review and publish them.

It imports `huatuopin` (hooks/ on sys.path, as scripts/_project.py puts it) for loading,
validation and the new-story writer; `huatuopin` never imports it.
"""
