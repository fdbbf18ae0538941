from lib.roles import DRH, RECTORAT

PERMISSIONS = {
    RECTORAT: ["accounts.view_agent", "accounts.add_agent", "accounts.change_agent", "accounts.view_auditevent"],
    DRH: ["accounts.view_agent"],
}
