{#- The names of the canonical stages in funnel order (see canonical_stages). -#}
{% macro funnel_stages() %}
    {{ return(crm_revenue.canonical_stages() | map(attribute='name') | list) }}
{% endmacro %}
