"""The public web site: what open government publishes, as pages anyone can read.

Server-rendered HTML (Jinja2 templates shipped with the package, autoescaped; no
JavaScript, no external fonts, no CDN) served by ``cocrea serve`` beside the JSON API
(:mod:`workflow.site.routes` says where and why), in the plan's language: the plans
at a glance, a plan with its timeline picture (server-rendered SVG,
:mod:`workflow.site.chart`), its proposals and each one's history and reasoned
response, and the log's head with how to check it; any past moment with
``?as_of=``. It only reads (:mod:`workflow.site.reads`), and never contact data.
"""
