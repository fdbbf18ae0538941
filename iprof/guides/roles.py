from lib.roles import DRH, RECTORAT

PERMISSIONS = {
    RECTORAT: [
        "guides.view_guide",
        "guides.add_guide",
        "guides.change_guide",
        "guides.delete_guide",
        "guides.view_piecejointeguide",
        "guides.add_piecejointeguide",
        "guides.change_piecejointeguide",
        "guides.delete_piecejointeguide",
    ],
    DRH: ["guides.view_guide"],
}
