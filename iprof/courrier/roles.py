from lib.roles import DRH, RECTORAT

PERMISSIONS = {
    RECTORAT: [
        "courrier.answer_conversation",
        "courrier.view_conversation",
        "courrier.view_correspondantgestion",
        "courrier.add_correspondantgestion",
        "courrier.change_correspondantgestion",
        "courrier.delete_correspondantgestion",
    ],
    DRH: [
        "courrier.post_courrier",
        "courrier.view_envoi",
        "courrier.view_message",
    ],
}
