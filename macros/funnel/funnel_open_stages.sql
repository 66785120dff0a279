{#- The open canonical stages in order: the pre-pipeline and pipeline stages (see canonical_stages). -#}
{% macro funnel_open_stages() %}
    {%- set open_stages = [] -%}
    {%- for stage in crm_revenue.canonical_stages() if stage.stage_group in ['pre_pipeline', 'pipeline'] -%}
        {%- do open_stages.append(stage.name) -%}
    {%- endfor -%}
    {{ return(open_stages) }}
{% endmacro %}
