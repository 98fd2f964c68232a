// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ERC20 as SolmateERC20} from "solmate/tokens/ERC20.sol";
import {SafeTransferLib} from "solmate/utils/SafeTransferLib.sol";

import {Governed} from "../../src/governance/Governed.sol";
import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {AssetTransfer} from "../../src/libraries/AssetTransfer.sol";

/// @title TrancheVaultV1 (test fixture: the vault as released before the ERC-7540 junior, main at 6bf243c)
/// @notice The ERC-4626 front end of one tranche (senior or junior) of a Strata pool (SPEC §5). One implementation,
///         deployed twice. The pool holds every unit of the asset and keeps the books; this vault mints and burns the
///         tranche's shares, and its `totalAssets()` is the tranche value at `block.timestamp`.
/// @dev EIP-4626 to the letter: `preview*` round against the caller and equal what the action delivers; `max*` and
///      `totalAssets` never revert and report the pool's exact limits (cash, queue priority, subordination, pause);
///      `convertTo*` ignore the caller. Shares carry a virtual offset of 10^6 against the inflation attack.
///
///      Redemption queue (SPEC §5 Liquidity, docs/redemption-queue.md): when cash is lent out, a senior lender locks
///      shares with `requestRedeem` (ERC-7540 style) and gets in one first-in first-out line per vault. Junior exits
///      are always requests (SPEC §5 "Junior notice"): served no earlier than `noticePeriod()` after the request, at
///      the price of service; the junior has no instant `withdraw`/`redeem`. Anyone may `processQueue`: requests are
///      served from the head, in order, at the share price of the moment of service, from the pool's servable cash
///      (for the junior, within subordination; for neither while pending recoveries would raise the price again,
///      SPEC §5 "Queue fairness"). Served assets move to the vault and are paid by `claimRedeem`. The pool reserves
///      what each queue can be paid out of the cash that borrows and instant withdrawals may use, so nobody can jump
///      the line. Requests, service, cancellation and claims ignore the deposit and borrow pauses (SPEC §8). Every
///      step is O(1) in the length of the queue.
contract TrancheVaultV1 is ERC4626Upgradeable, Governed, UUPSUpgradeable, ReentrancyGuardTransient {
    using Math for uint256;

    using SafeCast for uint256;

    /// @notice One redemption request. `pendingShares` are locked in the vault and wait in line; `claimableShares`
    ///         were served (burned) for `claimableAssets`, which the controller has not claimed yet. `requestedAt` is
    ///         the request's timestamp: it is served no earlier than `requestedAt + noticePeriod()`.
    /// @dev `requestedAt` fills the free bytes of the controller's slot (added in the junior-notice release; the
    ///      requests of earlier versions read 0, i.e. no notice left to wait).
    struct RedemptionRequest {
        address controller;
        uint40 requestedAt;
        uint128 pendingShares;
        uint128 claimableShares;
        uint128 claimableAssets;
    }

    /// @custom:storage-location erc7201:strata.storage.TrancheVault
    /// @dev Fields after `tranche` were appended for the redemption queue; `queueHead` and `requestCount` pack into
    ///      the first slot, beside `pool` and `tranche`. Request ids start at 1: the head request is
    ///      `queueHead + 1`, the queue holds ids `queueHead + 1 ..= requestCount` (cancelled ones are skipped).
    ///      `noticePeriod` was appended for the junior notice (0 on the senior; 0 on a junior upgraded from an
    ///      earlier version reads as `DEFAULT_NOTICE_PERIOD` until governance sets it).
    struct TrancheVaultStorage {
        IStrataPool pool;
        Tranche tranche;
        uint40 queueHead;
        uint40 requestCount;
        mapping(uint256 requestId => RedemptionRequest) requests;
        mapping(address controller => mapping(address operator => bool)) operators;
        uint256 totalClaimableAssets;
        uint32 noticePeriod;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.TrancheVault")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant VAULT_STORAGE = 0x3d73c3fe7013218e35fe7a011e1d0ae03947641e8f400cecccefa4e621adaf00;

    /// @notice Virtual-share offset (decimals) against first-depositor inflation.
    uint8 public constant DECIMALS_OFFSET = 6;

    /// @notice How many queued requests `requestRedeem` tries to serve after queueing (see docs/redemption-queue.md).
    uint256 public constant AUTO_SERVE_REQUESTS = 3;

    /// @notice The shortest junior notice period governance may set (SPEC §5 "Junior notice", §8 hard bounds).
    uint256 public constant MIN_NOTICE_PERIOD = 1 hours;
    /// @notice The longest junior notice period governance may set.
    uint256 public constant MAX_NOTICE_PERIOD = 30 days;
    /// @notice The junior notice period of a proxy upgraded from a version without one, until governance sets it.
    uint256 public constant DEFAULT_NOTICE_PERIOD = 24 hours;

    /// @notice A zero amount of assets or shares was given, or an action would move zero of either.
    error ZeroAmount();
    /// @notice `caller` is neither the controller of request `requestId` (`controller`) nor one of its operators.
    error NotRequestController(uint256 requestId, address caller, address controller);
    /// @notice Request `requestId` has no served, unclaimed assets.
    error NothingToClaim(uint256 requestId);
    /// @notice Request `requestId` has no pending (unserved) shares to cancel.
    error NothingToCancel(uint256 requestId);
    /// @notice `processQueue` was asked to visit zero requests.
    error ZeroMaxRequests();
    /// @notice A junior notice period of `period` seconds is outside `[min, max]`.
    error NoticePeriodOutOfBounds(uint256 period, uint256 min, uint256 max);
    /// @notice The senior vault has no notice period (its exits are instant within cash); `period` was asked for.
    error SeniorHasNoNotice(uint256 period);

    /// @notice ERC-7540: `owner`'s `shares` were locked in request `requestId`, controlled by `controller`.
    event RedeemRequest(
        address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares
    );
    /// @notice ERC-7540: `controller` approved (or revoked) `operator` to act on its behalf.
    event OperatorSet(address indexed controller, address indexed operator, bool approved);
    /// @notice `shares` of request `requestId` were served for `assets` at the share price of the moment;
    ///         `pendingShares` remain in line (non-zero after a partial service).
    event RedeemServed(
        uint256 indexed requestId, address indexed controller, uint256 assets, uint256 shares, uint256 pendingShares
    );
    /// @notice The served `assets` (for `shares`) of request `requestId` were paid to `receiver`.
    event RedeemClaimed(
        uint256 indexed requestId, address indexed controller, address indexed receiver, uint256 assets, uint256 shares
    );
    /// @notice The `shares` still pending in request `requestId` left the line and went back to `controller`.
    event RedeemRequestCancelled(uint256 indexed requestId, address indexed controller, uint256 shares);
    /// @notice `processQueue` advanced the head past every finished request: the head request is now `head + 1`.
    event QueueAdvanced(uint256 head, uint256 served);
    /// @notice Governance changed the junior notice period (seconds).
    event NoticePeriodSet(uint256 oldPeriod, uint256 newPeriod);

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the vault of `tranche_` over `pool_` behind its proxy, with the notice period of its exit
    ///         requests: 0 for the senior, within `[MIN_NOTICE_PERIOD, MAX_NOTICE_PERIOD]` for the junior.
    function initialize(
        IStrataPool pool_,
        Tranche tranche_,
        address asset_,
        string calldata name_,
        string calldata symbol_,
        address governance_,
        address guardian_,
        uint256 noticePeriod_
    ) external initializer {
        if (address(pool_) == address(0) || asset_ == address(0)) revert ZeroAddress();
        __ERC20_init(name_, symbol_);
        __ERC4626_init(IERC20(asset_));
        __Governed_init(governance_, guardian_);
        TrancheVaultStorage storage $ = _vs();
        $.pool = pool_;
        $.tranche = tranche_;
        if (tranche_ == Tranche.Senior) {
            if (noticePeriod_ != 0) revert SeniorHasNoNotice(noticePeriod_);
        } else {
            _setNoticePeriod($, 0, noticePeriod_);
        }
    }

    /// @notice The pool this vault fronts.
    function pool() public view returns (IStrataPool) {
        return _vs().pool;
    }

    /// @notice The tranche this vault fronts.
    function tranche() public view returns (Tranche) {
        return _vs().tranche;
    }

    /// @notice How long a redemption request waits before it may be served (SPEC §5 "Junior notice"): the junior's
    ///         governance parameter (`DEFAULT_NOTICE_PERIOD`, 24 h, until governance sets it), 0 for the senior.
    function noticePeriod() public view returns (uint256) {
        TrancheVaultStorage storage $ = _vs();
        if ($.tranche == Tranche.Senior) return 0;
        uint256 period = $.noticePeriod;
        return period == 0 ? DEFAULT_NOTICE_PERIOD : period;
    }

    /// @notice Sets the junior notice period, within `[MIN_NOTICE_PERIOD, MAX_NOTICE_PERIOD]`. It applies to every
    ///         pending request (service stays first-in first-out). Governance only; reverts on the senior vault.
    function setNoticePeriod(uint256 period) external onlyGovernance {
        TrancheVaultStorage storage $ = _vs();
        if ($.tranche == Tranche.Senior) revert SeniorHasNoNotice(period);
        _setNoticePeriod($, noticePeriod(), period);
    }

    /// @notice The earliest time request `requestId` may be served: its request time plus `noticePeriod()`.
    function serviceableAt(uint256 requestId) external view returns (uint256) {
        return uint256(_vs().requests[requestId].requestedAt) + noticePeriod();
    }

    // ------------------------------------------------------------------------------------------ ERC-4626 views

    /// @notice The tranche value at `block.timestamp` (SPEC §5). Never reverts.
    function totalAssets() public view override returns (uint256) {
        return _vs().pool.trancheValue(_vs().tranche);
    }

    /// @notice Shares a deposit of `assets` mints now, rounded down. Deposits are priced at the tranche value with the
    ///         loans in liquidation counted at their book value (`pool.trancheDepositValue`): a newcomer never buys a
    ///         share of pending auction recoveries below book. Exits are priced at `totalAssets` (realised value).
    function previewDeposit(uint256 assets) public view override returns (uint256) {
        return assets.mulDiv(totalSupply() + 10 ** DECIMALS_OFFSET, _depositPrice() + 1, Math.Rounding.Floor);
    }

    /// @notice Assets a mint of `shares` takes now, rounded up, at the deposit price (see `previewDeposit`).
    function previewMint(uint256 shares) public view override returns (uint256) {
        return shares.mulDiv(_depositPrice() + 1, totalSupply() + 10 ** DECIMALS_OFFSET, Math.Rounding.Ceil);
    }

    /// @notice The pool's exact deposit limit: 0 while deposits are paused, the senior is impaired or the junior is
    ///         wiped out with shares outstanding; the subordination limit for the senior; and the room left in the
    ///         pool's 128-bit ledgers of cash and of this tranche's shares. Caller-independent, never reverts.
    function maxDeposit(address) public view override returns (uint256) {
        uint256 poolMax = _vs().pool.maxDeposit(_vs().tranche);
        if (poolMax == 0) return 0;
        uint256 shareRoom = type(uint128).max - totalSupply();
        return
            poolMax.min(
                shareRoom.mulDiv(_depositPrice() + 1, totalSupply() + 10 ** DECIMALS_OFFSET, Math.Rounding.Floor)
            );
    }

    /// @notice The shares `maxDeposit` buys, rounded down: `previewDeposit(maxDeposit)`. So `previewMint(maxMint)
    ///         <= maxDeposit` (a mint of `maxMint` never takes more than the deposit limit) and `maxMint` fits in the
    ///         share ledger, whichever limit binds.
    function maxMint(address receiver) public view override returns (uint256) {
        return previewDeposit(maxDeposit(receiver));
    }

    /// @notice What `owner` can withdraw now: its shares' value, capped by the pool's instant-withdrawal limit (cash
    ///         not owed to either queue). The shares the vault holds are locked in the queue and never instantly
    ///         withdrawable. Always 0 on the junior: junior exits are `requestRedeem` requests served after the notice
    ///         period at the price of service (SPEC §5 "Junior notice"), so a junior seeing a loss coming cannot leave
    ///         before it is booked.
    function maxWithdraw(address owner) public view override returns (uint256) {
        if (owner == address(this) || _vs().tranche == Tranche.Junior) return 0;
        return _convertToAssets(balanceOf(owner), Math.Rounding.Floor).min(_vs().pool.maxWithdraw(Tranche.Senior));
    }

    /// @notice The shares `owner` can redeem now: its balance, capped so that the assets paid stay within the pool's
    ///         instant-withdrawal limit (see `maxWithdraw`). Always 0 on the junior (exits are notice requests).
    function maxRedeem(address owner) public view override returns (uint256) {
        if (owner == address(this) || _vs().tranche == Tranche.Junior) return 0;
        return balanceOf(owner).min(_convertToShares(_vs().pool.maxWithdraw(Tranche.Senior), Math.Rounding.Floor));
    }

    // ------------------------------------------------------------------------------------------ ERC-4626 actions

    /// @notice Deposits `assets` for `previewDeposit(assets)` shares to `receiver`. Reverts on zero assets or zero
    ///         shares, and past `maxDeposit` (the pool's `ExceedsMaxDeposit`, or `ERC4626ExceededMaxDeposit` when the
    ///         share ledger is full).
    /// @dev One pool read for the price; the pool enforces its own limits when it books the deposit.
    function deposit(uint256 assets, address receiver) public override nonReentrant returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        if (assets > type(uint128).max) revert ERC4626ExceededMaxDeposit(receiver, assets, maxDeposit(receiver));
        shares = previewDeposit(assets);
        _checkShareRoom(receiver, assets, shares);
        _deposit(_msgSender(), receiver, assets, shares);
    }

    /// @notice Mints exactly `shares` to `receiver` for `previewMint(shares)` assets (same limits as `deposit`).
    function mint(uint256 shares, address receiver) public override nonReentrant returns (uint256 assets) {
        if (shares == 0) revert ZeroAmount();
        assets = previewMint(shares);
        _checkShareRoom(receiver, assets, shares);
        _deposit(_msgSender(), receiver, assets, shares);
    }

    /// @notice Withdraws exactly `assets` to `receiver`, burning `previewWithdraw(assets)` of `owner`'s shares
    ///         (allowance if the caller is not `owner`). Reverts past `maxWithdraw(owner)`: with
    ///         `ERC4626ExceededMaxWithdraw` on the junior (no instant exit), for the vault's own locked shares and past
    ///         `owner`'s balance; with the pool's `ExceedsMaxWithdraw` past the cash not owed to the queues.
    function withdraw(uint256 assets, address receiver, address owner)
        public
        override
        nonReentrant
        returns (uint256 shares)
    {
        if (assets == 0) revert ZeroAmount();
        if (assets > type(uint128).max || !_instantExit(owner)) {
            revert ERC4626ExceededMaxWithdraw(owner, assets, maxWithdraw(owner));
        }
        shares = previewWithdraw(assets);
        if (shares > balanceOf(owner)) revert ERC4626ExceededMaxWithdraw(owner, assets, maxWithdraw(owner));
        _withdraw(_msgSender(), receiver, owner, assets, shares);
    }

    /// @notice Redeems exactly `shares` of `owner` for `previewRedeem(shares)` assets to `receiver`. Reverts past
    ///         `maxRedeem(owner)` (`ERC4626ExceededMaxRedeem`, or the pool's `ExceedsMaxWithdraw` past its cash, as
    ///         `withdraw`).
    function redeem(uint256 shares, address receiver, address owner)
        public
        override
        nonReentrant
        returns (uint256 assets)
    {
        if (shares == 0) revert ZeroAmount();
        if (!_instantExit(owner) || shares > balanceOf(owner)) {
            revert ERC4626ExceededMaxRedeem(owner, shares, maxRedeem(owner));
        }
        assets = previewRedeem(shares);
        _withdraw(_msgSender(), receiver, owner, assets, shares);
    }

    // ------------------------------------------------------------------------------------------ redemption queue

    /// @notice Served, unclaimed redemption assets held by this vault for requesters (this vault's asset balance).
    function totalClaimableAssets() external view returns (uint256) {
        return _vs().totalClaimableAssets;
    }

    /// @notice ERC-7540: approves (or revokes) `operator` to request redemptions of the caller's shares, and to claim
    ///         and cancel the caller's requests.
    /// @return Always true.
    function setOperator(address operator, bool approved) external returns (bool) {
        _vs().operators[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    /// @notice ERC-7540: whether `operator` may act for `controller`.
    function isOperator(address controller, address operator) public view returns (bool) {
        return _vs().operators[controller][operator];
    }

    /// @notice Locks `shares` of `owner` in the vault and puts them at the end of the line, controlled by
    ///         `controller` (ERC-7540 style), servable from `serviceableAt(requestId)` (now on the senior, after the
    ///         notice period on the junior). Then serves up to `AUTO_SERVE_REQUESTS` requests from the head, so a
    ///         senior request made while cash is servable is served at once, as far as cash goes.
    /// @dev The caller is `owner`, an operator of `owner`, or spends `owner`'s share allowance. Works while deposits
    ///      and borrows are paused (SPEC §8).
    /// @param shares The shares to redeem; the assets are fixed only when they are served, at that moment's price.
    /// @param controller Who may claim or cancel the request.
    /// @param owner Whose shares are locked.
    /// @return requestId The request's id (ids start at 1 and grow by one per request).
    function requestRedeem(uint256 shares, address controller, address owner)
        external
        nonReentrant
        returns (uint256 requestId)
    {
        if (shares == 0) revert ZeroAmount();
        if (controller == address(0)) revert ZeroAddress();
        if (msg.sender != owner && !isOperator(owner, msg.sender)) _spendAllowance(owner, msg.sender, shares);
        _transfer(owner, address(this), shares);
        TrancheVaultStorage storage $ = _vs();
        requestId = uint256($.requestCount) + 1;
        $.requestCount = requestId.toUint40();
        RedemptionRequest storage r = $.requests[requestId];
        r.controller = controller;
        r.requestedAt = uint40(block.timestamp);
        r.pendingShares = shares.toUint128();
        $.pool.onRedeemQueueChanged($.tranche, shares, false);
        emit RedeemRequest(controller, owner, requestId, msg.sender, shares);
        _processQueue($, AUTO_SERVE_REQUESTS);
    }

    /// @notice Serves up to `maxRequests` requests from the head of the line, in order, each at the share price of
    ///         the moment (assets = `convertToAssets(shares)`, rounded down), from the pool's servable cash (for the
    ///         junior, within subordination; none while loans are in liquidation and the tranche's realised value is
    ///         below its value with them at book, SPEC §5 "Queue fairness"). When cash runs short the head request is
    ///         served in part (the shares worth exactly the cash left, rounded up) and processing stops. Processing
    ///         also stops at the first request whose notice has not elapsed (`serviceableAt`): first in, first out.
    ///         Anyone may call; never paused.
    /// @dev O(1) per request: a head index, no array shifting. Cancelled requests count as visited.
    /// @param maxRequests How many requests to visit at most (gas bound).
    /// @return served How many requests were served, fully or in part.
    function processQueue(uint256 maxRequests) external nonReentrant returns (uint256 served) {
        if (maxRequests == 0) revert ZeroMaxRequests();
        return _processQueue(_vs(), maxRequests);
    }

    /// @notice Pays the served, unclaimed assets of request `requestId` to `receiver`.
    /// @dev Controller (or its operator) only. Emits the ERC-4626 `Withdraw` event with the controller as owner.
    ///      Works while deposits and borrows are paused (SPEC §8).
    /// @return assets The assets paid.
    function claimRedeem(uint256 requestId, address receiver) external nonReentrant returns (uint256 assets) {
        if (receiver == address(0)) revert ZeroAddress();
        TrancheVaultStorage storage $ = _vs();
        RedemptionRequest storage r = _controlled($, requestId);
        assets = r.claimableAssets;
        if (assets == 0) revert NothingToClaim(requestId);
        uint256 shares = r.claimableShares;
        r.claimableShares = 0;
        r.claimableAssets = 0;
        address controller = r.controller;
        emit RedeemClaimed(requestId, controller, receiver, assets, shares);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
        $.totalClaimableAssets -= assets;
        SafeTransferLib.safeTransfer(SolmateERC20(asset()), receiver, assets);
    }

    /// @notice Takes the unserved shares of request `requestId` out of the line and returns them to its controller.
    ///         A part already served stays claimable.
    /// @dev Controller (or its operator) only. Works while deposits and borrows are paused (SPEC §8).
    /// @return shares The shares returned.
    function cancelRedeemRequest(uint256 requestId) external nonReentrant returns (uint256 shares) {
        TrancheVaultStorage storage $ = _vs();
        RedemptionRequest storage r = _controlled($, requestId);
        shares = r.pendingShares;
        if (shares == 0) revert NothingToCancel(requestId);
        r.pendingShares = 0;
        address controller = r.controller;
        $.pool.onRedeemQueueChanged($.tranche, shares, true);
        _transfer(address(this), controller, shares);
        emit RedeemRequestCancelled(requestId, controller, shares);
    }

    /// @notice ERC-7540: the shares of request `requestId` still waiting in line, if `controller` controls it.
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        RedemptionRequest storage r = _vs().requests[requestId];
        return r.controller == controller ? r.pendingShares : 0;
    }

    /// @notice ERC-7540: the shares of request `requestId` served but not claimed yet, if `controller` controls it.
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        RedemptionRequest storage r = _vs().requests[requestId];
        return r.controller == controller ? r.claimableShares : 0;
    }

    /// @notice Request `requestId` as stored (controller, pending shares, claimable shares and assets).
    function redeemRequest(uint256 requestId) external view returns (RedemptionRequest memory) {
        return _vs().requests[requestId];
    }

    /// @notice The line: the head request is `head + 1` (when `head < requestCount`), `requestCount` is the last id
    ///         given, `pendingShares` the shares waiting in line in all requests.
    function queue() external view returns (uint256 head, uint256 requestCount, uint256 pendingShares) {
        TrancheVaultStorage storage $ = _vs();
        (pendingShares,) = $.pool.queueState($.tranche);
        return ($.queueHead, $.requestCount, pendingShares);
    }

    // ------------------------------------------------------------------------------------------ internals

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    /// @dev The asset goes straight from the caller to the pool (balance-checked), then the pool books it, then the
    ///      shares are minted.
    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        if (shares == 0) revert ZeroAmount();
        TrancheVaultStorage storage $ = _vs();
        AssetTransfer.pullExact(SolmateERC20(asset()), caller, address($.pool), assets);
        $.pool.onDeposit($.tranche, assets, shares);
        _mint(receiver, shares);
        emit Deposit(caller, receiver, assets, shares);
    }

    /// @dev Shares are burned first; the pool then pays `receiver` from its cash.
    function _withdraw(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        internal
        override
    {
        if (assets == 0) revert ZeroAmount();
        if (caller != owner) _spendAllowance(owner, caller, shares);
        _burn(owner, shares);
        TrancheVaultStorage storage $ = _vs();
        $.pool.onWithdraw($.tranche, assets, shares, receiver);
        emit Withdraw(caller, receiver, owner, assets, shares);
    }

    /// @dev Serves from the head, visiting at most `maxRequests` requests. Full service of a request is a redeem at
    ///      today's price (assets rounded down). When the request is worth more than the servable cash, it is a
    ///      withdraw of exactly that cash (shares rounded up) and processing stops: the rest waits for more cash.
    ///      Pending shares worth zero assets at a non-zero servable cash are dust and are retired for nothing (so a
    ///      dust request can never block the line). Nothing is served while the servable cash is zero.
    function _processQueue(TrancheVaultStorage storage $, uint256 maxRequests) private returns (uint256 served) {
        uint256 head = $.queueHead;
        uint256 end = $.requestCount;
        if (maxRequests < end - head) end = head + maxRequests;
        IStrataPool pool_ = $.pool;
        Tranche tranche_ = $.tranche;
        uint256 notice = head < end ? noticePeriod() : 0;
        while (head < end) {
            uint256 id = head + 1;
            RedemptionRequest storage r = $.requests[id];
            uint256 pending = r.pendingShares;
            if (pending != 0) {
                if (notice != 0 && r.requestedAt + notice > block.timestamp) break;
                uint256 cap = pool_.servable(tranche_);
                if (cap == 0) break;
                uint256 shares = pending;
                uint256 assets = _convertToAssets(pending, Math.Rounding.Floor);
                if (assets > cap) {
                    shares = _convertToShares(cap, Math.Rounding.Ceil);
                    if (shares >= pending) break; // unreachable while a share is worth less than one asset unit
                    assets = cap;
                }
                pending -= shares;
                r.pendingShares = uint128(pending);
                r.claimableShares += uint128(shares);
                r.claimableAssets += assets.toUint128();
                $.totalClaimableAssets += assets;
                ++served;
                _burn(address(this), shares);
                pool_.onRedeemServed(tranche_, assets, shares);
                emit RedeemServed(id, r.controller, assets, shares, pending);
                if (pending != 0) break;
            }
            head = id;
        }
        if (head != $.queueHead) {
            $.queueHead = uint40(head);
            emit QueueAdvanced(head, served);
        }
    }

    /// @dev The tranche value deposits are priced at.
    function _depositPrice() private view returns (uint256) {
        return _vs().pool.trancheDepositValue(_vs().tranche);
    }

    /// @dev The pool's tranche supply is a 128-bit ledger: a deposit that would overflow it is past `maxDeposit`.
    function _checkShareRoom(address receiver, uint256 assets, uint256 shares) private view {
        if (shares > type(uint128).max - totalSupply()) {
            revert ERC4626ExceededMaxDeposit(receiver, assets, maxDeposit(receiver));
        }
    }

    /// @dev Whether `owner` may exit instantly at all: not on the junior (notice requests only), not the vault's own
    ///      locked shares. The pool enforces the cash limit in `onWithdraw`; the callers check the balance.
    function _instantExit(address owner) private view returns (bool) {
        return owner != address(this) && _vs().tranche == Tranche.Senior;
    }

    function _setNoticePeriod(TrancheVaultStorage storage $, uint256 oldPeriod, uint256 period) private {
        if (period < MIN_NOTICE_PERIOD || period > MAX_NOTICE_PERIOD) {
            revert NoticePeriodOutOfBounds(period, MIN_NOTICE_PERIOD, MAX_NOTICE_PERIOD);
        }
        emit NoticePeriodSet(oldPeriod, period);
        $.noticePeriod = uint32(period);
    }

    /// @dev Request `requestId`, if the caller is its controller or an operator of it.
    function _controlled(TrancheVaultStorage storage $, uint256 requestId)
        private
        view
        returns (RedemptionRequest storage r)
    {
        r = $.requests[requestId];
        address controller = r.controller;
        if (msg.sender != controller && !$.operators[controller][msg.sender]) {
            revert NotRequestController(requestId, msg.sender, controller);
        }
    }

    function _vs() private pure returns (TrancheVaultStorage storage $) {
        assembly {
            $.slot := VAULT_STORAGE
        }
    }

    function _authorizeUpgrade(address) internal override onlyGovernance {}
}
