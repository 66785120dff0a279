-- convert_to_corporate: exact decimal division, half to even at the 6th decimal, sign kept.
with cases as (
    select
        cast(100.00 as decimal(38, 6)) as amount,
        cast(0.9 as decimal(38, 12)) as rate,
        cast(111.111111 as decimal(38, 6)) as expected
    union all
    select
        cast(0.01 as decimal(38, 6)) as amount,
        cast(160 as decimal(38, 12)) as rate,
        cast(0.000062 as decimal(38, 6)) as expected
    union all
    select
        cast(0.03 as decimal(38, 6)) as amount,
        cast(160 as decimal(38, 12)) as rate,
        cast(0.000188 as decimal(38, 6)) as expected
    union all
    select
        cast(-0.01 as decimal(38, 6)) as amount,
        cast(160 as decimal(38, 12)) as rate,
        cast(-0.000062 as decimal(38, 6)) as expected
    union all
    select
        cast(2.00 as decimal(38, 6)) as amount,
        cast(3 as decimal(38, 12)) as rate,
        cast(0.666667 as decimal(38, 6)) as expected
    union all
    select
        cast(123456789012.34 as decimal(38, 6)) as amount,
        cast(0.7654321 as decimal(38, 12)) as rate,
        cast(161290320868.879160 as decimal(38, 6)) as expected
    union all
    select
        cast(0 as decimal(38, 6)) as amount,
        cast(1.1 as decimal(38, 12)) as rate,
        cast(0 as decimal(38, 6)) as expected
    -- ties on the estimated route (quotient under 10^9) and on the exact integer route
    union all
    select
        cast(0.000005 as decimal(38, 6)) as amount,
        cast(10 as decimal(38, 12)) as rate,
        cast(0 as decimal(38, 6)) as expected
    union all
    select
        cast(-0.000015 as decimal(38, 6)) as amount,
        cast(10 as decimal(38, 12)) as rate,
        cast(-0.000002 as decimal(38, 6)) as expected
    union all
    select
        cast(2000000000.000001 as decimal(38, 6)) as amount,
        cast(2 as decimal(38, 12)) as rate,
        cast(1000000000.000000 as decimal(38, 6)) as expected
    union all
    select
        cast(2000000000.000003 as decimal(38, 6)) as amount,
        cast(2 as decimal(38, 12)) as rate,
        cast(1000000000.000002 as decimal(38, 6)) as expected
),

final as (
    select
        *,
        {{ crm_revenue.convert_to_corporate('amount', 'rate') }} as converted
    from cases
)

select * from final
where converted is distinct from expected
