from iprof.roles import DRH, RECTORAT

PERMISSIONS = {
    RECTORAT: ["accounts.view_agent", "accounts.add_agent", "accounts.change_agent"],
    DRH: ["accounts.view_agent"],
}
