-- One row per raw export row that staging did not keep, with the reason and the raw
-- values, so nothing is dropped silently.
{%- set objects = crm_revenue.crm_base_models() %}

with
{%- for object_name, model_name in objects.items() %}
rejected_{{ object_name }} as (
    select
        '{{ object_name }}' as source_object,
        _source_file as source_file,
        _raw_row_number as raw_row_number,
        record_id,
        rejection_reason,
        {{ crm_revenue.raw_values_json(object_name) }} as raw_values
    from {{ ref(model_name) }}
    where rejection_reason is not null
),
{%- endfor %}

final as (
    {%- for object_name in objects %}
    select * from rejected_{{ object_name }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
