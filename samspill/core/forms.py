from django.forms.renderers import TemplatesSetting


class SamspillFormRenderer(TemplatesSetting):
    """Renders every form with Designsystemet markup: label, help, input, error at the field."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
