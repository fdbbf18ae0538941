from django.urls import path

from iprof.courrier import views

app_name = "courrier"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.message_detail, name="message"),
    path("<int:pk>/non-lu/", views.message_unread, name="message-unread"),
    path("pieces-jointes/<int:pk>/", views.attachment, name="attachment"),
    path("correspondant/", views.conversations, name="conversations"),
    path("correspondant/nouveau/", views.conversation_new, name="conversation-new"),
    path("correspondant/<int:pk>/", views.conversation_detail, name="conversation"),
    path("gestion/", views.gestion, name="gestion"),
    path("gestion/<int:pk>/", views.gestion_conversation, name="gestion-conversation"),
    path("diffusion/", views.diffusion, name="diffusion"),
    path("diffusion/envoyer/", views.diffusion_send, name="diffusion-send"),
]
