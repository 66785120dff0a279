{#-
    Extra export columns to carry through staging (and fct_opportunities) for one object,
    from the var `passthrough_columns` (e.g. {opportunity: [Region__c]}), as lower-case
    names. Such a column must exist in the export; its values stay text.
-#}
{% macro passthrough_columns(object_name) %}
    {%- set configured = var('passthrough_columns', {}) or {} -%}
    {{ return(configured.get(object_name, []) | map('lower') | list) }}
{% endmacro %}
