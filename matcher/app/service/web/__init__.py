"""The web pages of ``stagematch serve``: server-rendered (Jinja2) with htmx for the parts that update.

A thin layer over :class:`matcher.app.service.core.Service`, as the HTTP API is: the same role rules,
the same refusals, the same audit log. Signing in puts the token in an HttpOnly, SameSite=Strict cookie;
every asset (htmx, the style sheet) is served from the package, so neither server nor browser needs the
internet. Dutch by default, English with the language switch (:mod:`.texts`).
"""
