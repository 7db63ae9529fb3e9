from django import forms

from notices.models import NoticeSettings


class NoticeSettingsForm(forms.ModelForm):
    class Meta:
        model = NoticeSettings
        fields = ["language", "phase", "analysis_submitted", "published"]
        widgets = {"language": forms.RadioSelect}
