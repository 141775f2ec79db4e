"""Every action the audit log records, with its label in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LOGIN = "login"
LOGIN_FAILED = "login.failed"
LOGOUT = "logout"
SCAN_SUBMIT = "scan.submit"
SCAN_REOPEN = "scan.reopen"
CALIBRATE = "teamschouw.calibrate"
POP_SIGN = "pop.sign"
EXPORT = "export"  # object_type says which export
KENNISKAART_PUBLISH = "kenniskaart.publish"
MUNICIPALITY_CREATE = "municipality.create"
MUNICIPALITY_UPDATE = "municipality.update"
MUNICIPALITY_ARCHIVE = "municipality.archive"
TEAM_CREATE = "team.create"
TEAM_UPDATE = "team.update"
TEAM_ARCHIVE = "team.archive"
ACCOUNT_CREATE = "account.create"
ACCOUNT_UPDATE = "account.update"
ACCOUNT_DEACTIVATE = "account.deactivate"
ACCOUNT_ACTIVATE = "account.activate"
ACCOUNT_TEMPORARY_PASSWORD = "account.password"
ACCOUNT_IMPORT = "account.import"
ACCOUNT_ERASE = "account.erase"
CATALOGUE_CHANGE = "catalogue.change"
RETENTION_APPLY = "retention.apply"
REGIO_PUBLISH = "regio.publish"

ACTIONS = {
    LOGIN: _l("Logged in"),
    LOGIN_FAILED: _l("Failed login"),
    LOGOUT: _l("Logged out"),
    SCAN_SUBMIT: _l("Scan submitted"),
    SCAN_REOPEN: _l("Scan reopened"),
    CALIBRATE: _l("Level agreed in the teamschouw"),
    POP_SIGN: _l("POP signed"),
    EXPORT: _l("Export downloaded"),
    KENNISKAART_PUBLISH: _l("Kenniskaart version published"),
    MUNICIPALITY_CREATE: _l("Municipality created"),
    MUNICIPALITY_UPDATE: _l("Municipality changed"),
    MUNICIPALITY_ARCHIVE: _l("Municipality archived"),
    TEAM_CREATE: _l("Team created"),
    TEAM_UPDATE: _l("Team changed"),
    TEAM_ARCHIVE: _l("Team archived"),
    ACCOUNT_CREATE: _l("Account created"),
    ACCOUNT_UPDATE: _l("Account changed"),
    ACCOUNT_DEACTIVATE: _l("Account deactivated"),
    ACCOUNT_ACTIVATE: _l("Account reactivated"),
    ACCOUNT_TEMPORARY_PASSWORD: _l("Temporary password set"),
    ACCOUNT_IMPORT: _l("Accounts imported"),
    ACCOUNT_ERASE: _l("Leaver's account erased"),
    CATALOGUE_CHANGE: _l("Training catalogue changed"),
    RETENTION_APPLY: _l("Retention applied"),
    REGIO_PUBLISH: _l("Regional figures published"),
}
