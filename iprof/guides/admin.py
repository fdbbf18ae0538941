from __future__ import annotations

from django.contrib import admin

from iprof.guides.models import Guide, PieceJointeGuide


class PieceJointeGuideInline(admin.TabularInline):
    model = PieceJointeGuide
    extra = 0


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ("titre", "section", "published", "ordre", "updated_at")
    list_filter = ("section", "published")
    list_editable = ("published", "ordre")
    search_fields = ("titre", "slug", "corps")
    prepopulated_fields = {"slug": ("titre",)}
    fields = ("titre", "slug", "section", "ordre", "resume", "corps", "published")
    inlines = [PieceJointeGuideInline]
    view_on_site = True
