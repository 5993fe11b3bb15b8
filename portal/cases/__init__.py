"""The case machinery that service requests and complaints share.

A *case* is anything a citizen submits and the agency must handle within a deadline: a service
request (services) or a complaint (complaints). This package holds what both need and knows
neither: receipt numbers and access codes (`codes`, `numbering`), the abstract file and
history models (`records`), which cases a browser has opened (`access`), private file
responses (`files`), working time in words (`durations`), a mail outbox that never fails a
submission (`mail`), the registry of case kinds that lets the tracking pages find a case by its
number (`registry`, `views`) and the admin's case base classes and workflow page (`admin`).
The apps register their case kinds in their AppConfig.ready; nothing here imports an app.
"""
