-- For every export: raw rows = kept rows (in staging) + rejected rows (in the audit).
{%- set objects = {
    'opportunity': ['base_crm__opportunities', 'stg_crm__opportunities'],
    'opportunity_history': ['base_crm__opportunity_history', 'stg_crm__opportunity_history'],
    'lead': ['base_crm__leads', 'stg_crm__leads'],
    'opportunity_contact_role': ['base_crm__opportunity_contact_roles', 'stg_crm__opportunity_contact_roles'],
    'account': ['base_crm__accounts', 'stg_crm__accounts'],
    'user': ['base_crm__users', 'stg_crm__users'],
    'dated_conversion_rate': ['base_crm__dated_conversion_rates', 'stg_crm__dated_conversion_rates'],
} %}

with rejected as (
    select source_object, count(*) as rejected_rows
    from {{ ref('audit_rejected_rows') }}
    group by source_object
),

counted as (
    {%- for object_name, models in objects.items() %}
    select
        '{{ object_name }}' as source_object,
        (select count(*) from {{ ref(models[0]) }}) as raw_rows,
        (select count(*) from {{ ref(models[1]) }}) as kept_rows
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        counted.source_object,
        counted.raw_rows,
        counted.kept_rows,
        coalesce(rejected.rejected_rows, 0) as rejected_rows,
        counted.raw_rows = counted.kept_rows + coalesce(rejected.rejected_rows, 0) as is_reconciled
    from counted
    left join rejected
        on counted.source_object = rejected.source_object
)

select * from final
