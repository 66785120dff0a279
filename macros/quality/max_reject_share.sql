{#-
    The largest share of an object's export rows that may be rejected before the quality
    gate stops the run: var max_reject_shares (a mapping object -> share in [0, 1]; objects
    not in it keep these defaults). Duplicates (exact or superseded) do not count.
-#}
{% macro max_reject_share(object_name) %}
    {%- set defaults = {
        'opportunity': 0.01,
        'opportunity_history': 0.01,
        'lead': 0.05,
        'opportunity_contact_role': 0.05,
        'account': 0.05,
        'user': 0.05,
        'dated_conversion_rate': 0.05,
        'opportunity_version': 0.01,
    } -%}
    {%- set configured = var('max_reject_shares', {}) or {} -%}
    {{ return(configured.get(object_name, defaults.get(object_name, 0.05))) }}
{% endmacro %}
