"""The web application (issue 14): inspectors audit the units of their region, a unit's staff
assess themselves through an interview, every audit is kept in a database.

It reaches the engine through one module, engine_calls.py, so that a stage renamed while the
engine is regrouped is a one-line fix here. Routes (app.py) only read the request, check the
account may do it (accounts.py), and call the services (audits.py, interview.py); every
write goes through database.py in one transaction.
"""
